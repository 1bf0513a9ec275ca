//! `errbook list`: the entries of the catalogs, filtered by catalog, domain, action or HTTP status.

use crate::catalog::actions::{action_def, ACTIONS};
use crate::catalog::{Book, Listing};
use crate::cli::ListArgs;
use crate::context::Ctx;
use crate::error::{Error, Outcome};
use crate::render::{self, Output};

pub fn run(ctx: &mut Ctx, args: ListArgs) -> Result<Outcome, Error> {
    let ListArgs {
        catalog,
        domain,
        action,
        http,
    } = args;
    // Domain and action ids are lowercase (catalogs are checked for it), so a value in any case names
    // them: `--domain FairPlay`, `--action Retry`. Catalog ids are compared without case already.
    let domain = domain.map(|d| d.to_lowercase());
    let action = action.map(|a| a.to_lowercase());
    let listing = list(
        &ctx.book,
        catalog.as_deref(),
        domain.as_deref(),
        action.as_deref(),
        http,
    )?;
    let empty = listing.is_empty();
    if empty {
        writeln!(ctx.err, "errbook: no entry matches these filters").map_err(Error::Write)?;
    }
    let output = Output::Listing {
        listing: &listing,
        lang: ctx.lang,
        style: ctx.style,
    };
    render::write(ctx.format, &output, ctx.out).map_err(Error::Write)?;
    Ok(if empty {
        Outcome::NotFound
    } else {
        Outcome::Found
    })
}

/// Checks the filters against the book: an unknown catalog, domain or action is a usage error.
fn list(
    book: &Book,
    catalog: Option<&str>,
    domain: Option<&str>,
    action: Option<&str>,
    http: Option<u16>,
) -> Result<Listing, Error> {
    let scope: Vec<_> = match catalog {
        Some(id) => vec![book.catalog(id).ok_or_else(|| {
            Error::usage(format!(
                "unknown catalog {id:?} (catalogs: {})",
                book.ids().join(", ")
            ))
        })?],
        None => book.catalogs.clone(),
    };
    if let Some(d) = domain {
        if !scope.iter().any(|c| c.domain(d).is_some()) {
            let mut known: Vec<&str> = scope
                .iter()
                .flat_map(|c| c.domains.iter().map(|d| d.id.as_ref()))
                .collect();
            known.sort_unstable();
            known.dedup();
            return Err(Error::usage(format!(
                "unknown domain {d:?} (domains: {})",
                known.join(", ")
            )));
        }
    }
    let action = match action {
        Some(a) => Some(action_def(a).map(|d| d.id).ok_or_else(|| {
            Error::usage(format!(
                "unknown action {a:?} (actions: {})",
                ACTIONS.iter().map(|a| a.id).collect::<Vec<_>>().join(", ")
            ))
        })?),
        None => None,
    };
    Ok(Listing {
        catalogs: scope,
        domain: domain.map(str::to_string),
        action,
        http_status: http,
    })
}
