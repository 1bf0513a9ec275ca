//! `errbook search`: ranked text search.

use super::found;
use crate::cli::SearchArgs;
use crate::context::Ctx;
use crate::error::{Error, Outcome};
use crate::query::check_search_text;
use crate::render::{self, CommandName, Output, Report};
use crate::search;

pub fn run(ctx: &mut Ctx, SearchArgs { text, limit }: SearchArgs) -> Result<Outcome, Error> {
    let text = text.join(" ");
    check_search_text(&text)?;
    let hits = search::search(&ctx.book, &text, limit);
    if hits.is_empty() {
        writeln!(ctx.err, "errbook: nothing matches {:?}", text).map_err(Error::Write)?;
    }
    let report = Report {
        command: CommandName::Search,
        query: Some(text),
        lang: ctx.lang,
        hits: &hits,
        style: ctx.style,
        asked: &[],
    };
    render::write(ctx.format, &Output::Entries(report), ctx.out).map_err(Error::Write)?;
    Ok(found(&hits))
}
