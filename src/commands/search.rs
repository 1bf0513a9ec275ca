//! `errbook search`: ranked text search.

use super::found;
use crate::cli::SearchArgs;
use crate::context::Ctx;
use crate::error::{Error, Outcome};
use crate::render::{self, CommandName, Report};
use crate::search;

pub fn run(ctx: &mut Ctx, SearchArgs { text, limit }: SearchArgs) -> Result<Outcome, Error> {
    let text = text.join(" ");
    if text.trim().is_empty() {
        return Err(Error::usage("empty search text"));
    }
    // Tabs and newlines (pasted text) are white space; other control characters are no search.
    if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(Error::usage(format!(
            "search text {text:?} contains control characters"
        )));
    }
    if text.len() > crate::query::MAX_QUERY_LEN {
        return Err(Error::usage(format!(
            "search text is {} bytes long; the limit is {}",
            text.len(),
            crate::query::MAX_QUERY_LEN
        )));
    }
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
    };
    render::write_report(ctx.format, &report, ctx.out).map_err(Error::Write)?;
    Ok(found(&hits))
}
