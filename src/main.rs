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
    /// Create an administrator. The password comes from `ADMIN_PASSWORD` or standard input
    /// (asked for without echo on a terminal); it is never printed or logged.
    CreateAdmin {
        #[arg(long)]
        username: String,
    },
    /// Recount every statistics counter from the tickets; exits non-zero on any difference.
    VerifyStats,
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
        Command::CreateAdmin { username } => {
            let password = admin_password()?;
            let db = startup::open_database(&cli.settings).await?;
            let clock = std::sync::Arc::new(enterprise_assist::clock::SystemClock);
            let admin =
                enterprise_assist::services::users::create_admin(&db, clock, username, password)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            println!("created administrator {} (id {})", admin.username, admin.id);
        }
        Command::VerifyStats => {
            let db = startup::open_database(&cli.settings).await?;
            let differences = enterprise_assist::services::stats::verify(&db)
                .await
                .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            for d in &differences {
                println!(
                    "{} {} {}: stored {:?}, recounted {:?}",
                    d.key.county_code, d.key.month, d.key.category, d.stored, d.recounted
                );
            }
            if !differences.is_empty() {
                anyhow::bail!("{} counters differ from the recount", differences.len());
            }
            println!("every statistics counter equals the recount of the tickets");
        }
        Command::Openapi => print!("{}", enterprise_assist::openapi::yaml()),
    }
    Ok(())
}

fn admin_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if let Ok(password) = std::env::var("ADMIN_PASSWORD") {
        return Ok(password);
    }
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(
            "Password for the new administrator: ",
        )?);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// One line saying what was wrong: the problem's detail, with each bad field.
fn describe(error: &enterprise_assist::error::Error) -> String {
    let problem = error.problem();
    match problem.errors {
        Some(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        None => problem.detail,
    }
}
