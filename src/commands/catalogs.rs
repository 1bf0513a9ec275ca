//! `errbook catalogs`: the catalogs of this run.

use crate::context::Ctx;
use crate::error::{Error, Outcome};
use crate::render::{self, Output};

pub fn run(ctx: &mut Ctx) -> Result<Outcome, Error> {
    let output = Output::Catalogs {
        catalogs: &ctx.book.catalogs,
        lang: ctx.lang,
        style: ctx.style,
    };
    render::write(ctx.format, &output, ctx.out).map_err(Error::Write)?;
    Ok(Outcome::Found)
}
