//! `errbook completions` and `errbook man`: files generated from the command-line definition.

use crate::cli::CompletionsArgs;
use crate::context::Ctx;
use crate::error::{Error, Outcome};

/// What to generate.
pub enum Target {
    Completions(CompletionsArgs),
    Man,
}

pub fn run(ctx: &mut Ctx, target: Target) -> Result<Outcome, Error> {
    match target {
        Target::Completions(CompletionsArgs { shell }) => {
            let script = crate::complete::registration(shell).map_err(Error::Write)?;
            ctx.out.write_all(&script).map_err(Error::Write)?;
        }
        Target::Man => crate::man::render(ctx.out).map_err(Error::Write)?,
    }
    Ok(Outcome::Found)
}
