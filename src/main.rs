//! The `enterprise-assist` command: parse the subcommand and hand over to the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use enterprise_assist::config::{LogSettings, Settings};
use enterprise_assist::startup::{self, Application};
use enterprise_assist::telemetry;

#[derive(Parser)]
#[command(name = "enterprise-assist", version, about)]
struct Cli {
    #[command(flatten)]
    settings: Settings,
    #[command(flatten)]
    log: LogSettings,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve the HTTP API.
    Serve,
    /// Apply pending migrations and load the bundled region list, then exit.
    Migrate,
    /// Print the OpenAPI document the server implements (the source of `openapi.yaml`).
    Openapi,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init(&cli.log);
    let outcome = actix_web::rt::System::new().block_on(run(cli));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve => {
            let app = Application::build(&cli.settings).await?;
            tracing::info!(
                address = %format!("http://{}:{}", cli.settings.bind.ip(), app.port()),
                "enterprise-assist listening"
            );
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            startup::open_database(&cli.settings).await?;
            tracing::info!("database is up to date");
        }
        Command::Openapi => print!("{}", enterprise_assist::openapi::yaml()),
    }
    Ok(())
}
