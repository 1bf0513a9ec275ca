//! `errbook validate`: checks catalog files in order, each in the light of the built-in catalogs and the
//! files before it.

use crate::catalog::user::{self, Location};
use crate::cli::ValidateArgs;
use crate::context::Ctx;
use crate::error::{Error, Outcome};
use crate::render::{self, FileCheck, Output};

pub fn run(ctx: &mut Ctx, ValidateArgs { files }: ValidateArgs) -> Result<Outcome, Error> {
    let checks = validate(&files);
    render::write(ctx.format, &Output::Validation(&checks), ctx.out).map_err(Error::Write)?;
    let bad = checks.iter().filter(|c| !c.problems.is_empty()).count();
    if bad == 0 {
        return Ok(Outcome::Found);
    }
    let problems: usize = checks.iter().map(|c| c.problems.len()).sum();
    writeln!(
        ctx.err,
        "errbook: {problems} problem{} in {bad} of {} file{}",
        if problems == 1 { "" } else { "s" },
        checks.len(),
        if checks.len() == 1 { "" } else { "s" }
    )
    .map_err(Error::Write)?;
    Ok(Outcome::Invalid)
}

/// Checks the files in order, each in the light of the built-in catalogs and the files before it.
fn validate(paths: &[std::path::PathBuf]) -> Vec<FileCheck> {
    let mut bases = user::Bases::new();
    let mut checks = Vec::new();
    for path in paths {
        let loc = [Location {
            path: path.clone(),
            required: true,
        }];
        let (files, problems) = user::catalog_files(&loc);
        for d in problems {
            checks.push(FileCheck::failed(d.path.clone(), vec![d]));
        }
        for f in files {
            match user::load_part(&f, &mut bases, None) {
                Ok(part) => {
                    checks.push(FileCheck {
                        path: part.path.to_string(),
                        catalog: Some(part.id().to_string()),
                        extends: bases.get(part.id()).is_some(),
                        entries: Some(part.store.len()),
                        problems: Vec::new(),
                    });
                    bases.add(&part);
                }
                Err(problems) => checks.push(FileCheck::failed(f.display().to_string(), problems)),
            }
        }
    }
    checks
}
