//! `errbook catalogs`: the catalogs of this run.

use crate::context::Ctx;
use crate::error::{Error, Outcome};
use crate::render;

pub fn run(ctx: &mut Ctx) -> Result<Outcome, Error> {
    render::write_catalogs(ctx.format, &ctx.book, ctx.lang, ctx.style, ctx.out)
        .map_err(Error::Write)?;
    Ok(Outcome::Found)
}
