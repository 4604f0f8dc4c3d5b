//! The `enterprise-assist` command: parse the subcommand and hand over to the library.

use std::process::ExitCode;

use std::path::PathBuf;

use anyhow::Context;
use chrono::Utc;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use enterprise_assist::api::imports::ImportKind;
use enterprise_assist::auth::policy::ImportScope;
use enterprise_assist::config::{LogSettings, Settings};
use enterprise_assist::db::programme_time::Rekeying;
use enterprise_assist::demo;
use enterprise_assist::domain::region::RegionCode;
use enterprise_assist::services::imports;
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
    /// Import a CSV file of enterprises, departments, cadres or pairings, or a calendar (formats
    /// in the README): the whole file or, when any row is bad, nothing. Acts as the operator,
    /// without a region limit. A calendar file replaces each year it names.
    Import {
        /// enterprises, departments, cadres, pairings or calendar
        #[arg(value_parser = parse_import_file)]
        kind: ImportFile,
        file: PathBuf,
    },
    /// Fill the database with a generated programme for a region: enterprises with a staff
    /// account each, cadres, pairings, supervisors at every level and an administrator, all
    /// with the password `demo-password-2024`; then tickets. The same seed builds the same
    /// programme, so running it again changes nothing.
    Demo {
        /// The region, e.g. 411600 (Zhoukou) or 410000 (Henan).
        #[arg(long, value_parser = |s: &str| RegionCode::parse(s).map_err(|e| e.to_string()))]
        region: RegionCode,
        /// Enterprises spread over the region's county-level units, each with a staff account
        /// `ent.<county code>.<n>`.
        #[arg(long, default_value_t = 10_000)]
        enterprises: usize,
        /// Cadres of county, city and province agencies (at least one per county), named
        /// `cadre.<region code>.<n>`.
        #[arg(long, default_value_t = 1_500)]
        cadres: usize,
        /// Tickets spread over the past year, in every state (only when the region has none).
        #[arg(long, default_value_t = 20_000)]
        tickets: usize,
        /// The same seed builds the same programme.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
}

/// What `import` reads: the kinds `POST /imports/{kind}` takes, or a calendar.
#[derive(Clone, Copy)]
enum ImportFile {
    Rows(ImportKind),
    Calendar,
}

fn parse_import_file(text: &str) -> Result<ImportFile, String> {
    use clap::ValueEnum;
    match text {
        "calendar" => Ok(ImportFile::Calendar),
        _ => ImportKind::from_str(text, false)
            .map(ImportFile::Rows)
            .map_err(|_| "enterprises, departments, cadres, pairings or calendar".to_owned()),
    }
}

fn main() -> ExitCode {
    limit_allocator_retention();
    let cli = parse_command_line();
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
            startup::open_database(&cli.settings, Rekeying::Allowed).await?;
            tracing::info!("database is up to date");
        }
        Command::CreateAdmin { username } => {
            let password = admin_password()?;
            let db = startup::open_database(&cli.settings, Rekeying::Refused).await?;
            let clock = std::sync::Arc::new(enterprise_assist::clock::SystemClock);
            let admin =
                enterprise_assist::services::users::create_admin(&db, clock, username, password)
                    .await
                    .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            println!("created administrator {} (id {})", admin.username, admin.id);
        }
        Command::VerifyStats => {
            let db = startup::open_database(&cli.settings, Rekeying::Refused).await?;
            let differences = enterprise_assist::services::reports::verify(
                &db,
                Utc::now().naive_utc(),
                cli.settings.timezone,
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            for d in &differences {
                println!("{d}");
            }
            if !differences.is_empty() {
                anyhow::bail!(
                    "{} counters or workload rows differ from the recount",
                    differences.len()
                );
            }
            println!("every statistics counter and workload row equals the recount of the tickets");
        }
        Command::Openapi => print!("{}", enterprise_assist::openapi::yaml()),
        Command::Import { kind, file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {} as UTF-8 text", file.display()))?;
            let db = startup::open_database(&cli.settings, Rekeying::Refused).await?;
            startup::limit_password_hashing(&cli.settings.limits);
            let kind = match kind {
                ImportFile::Rows(kind) => kind,
                ImportFile::Calendar => return import_calendar(&db, &text).await,
            };
            let started = std::time::Instant::now();
            // Other instances see the revocations by their next poll.
            let (report, _revoked) = imports::import(
                &db,
                None,
                ImportScope::All,
                kind,
                text,
                Utc::now().naive_utc(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}; nothing was imported", describe(&e)))?;
            println!(
                "{} rows in {:.2} s: {} created, {} updated, {} unchanged, {} removed",
                report.rows,
                started.elapsed().as_secs_f64(),
                report.created,
                report.updated,
                report.unchanged,
                report.removed
            );
        }
        Command::Demo {
            region,
            enterprises,
            cadres,
            tickets,
            seed,
        } => {
            let db = startup::open_database(&cli.settings, Rekeying::Refused).await?;
            let now = Utc::now().naive_utc();
            let summary = demo::run(&db, region.clone(), enterprises, cadres, seed, now)
                .await
                .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            print_demo(&summary);
            let started = std::time::Instant::now();
            let tz = cli.settings.timezone;
            let filed = demo::fill_tickets(
                &db,
                region,
                tickets,
                seed,
                now,
                tz,
                cli.settings.tickets.work_hours.clone(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            db.run(enterprise_assist::db::checkpoint).await?;
            println!(
                "  {:<12} {filed} created in {:.1} s",
                "tickets",
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(())
}

/// Settings each command other than `serve` shows in its help (all are still read, from the
/// environment or a flag): the database it works on, and for imports the hashing bound.
fn shown_settings(command: &str) -> &'static [&'static str] {
    match command {
        "serve" => &[],
        "openapi" => &[],
        "import" => &["database_url", "data_dir", "password_hash_concurrency"],
        _ => &["database_url", "data_dir"],
    }
}

/// Parses the command line. The settings are global (a flag works before or after the
/// command), but only `serve` lists them all: every other command's help shows its own
/// options and the settings it uses, so `demo --help` is about the demo.
fn parse_command_line() -> Cli {
    let mut command = Cli::command();
    let settings: Vec<clap::Arg> = command
        .get_arguments()
        .filter(|a| a.is_global_set())
        .cloned()
        .collect();
    let names: Vec<String> = command
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .filter(|name| name != "serve")
        .collect();
    for name in names {
        let shown = shown_settings(&name);
        command = command.mut_subcommand(&name, |mut sub| {
            // A subcommand's own copy of a global argument takes its place there (clap does not
            // propagate over it): a hidden copy hides it and still parses it.
            for arg in &settings {
                sub = sub.arg(if shown.contains(&arg.get_id().as_str()) {
                    arg.clone().help_heading("Settings")
                } else {
                    arg.clone().hide(true)
                });
            }
            sub
        });
    }
    let matches = command.get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

async fn import_calendar(db: &enterprise_assist::db::Database, text: &str) -> anyhow::Result<()> {
    let replaced = imports::calendar::import(db, text)
        .await
        .map_err(|e| anyhow::anyhow!("{}; nothing was imported", describe(&e)))?;
    for y in &replaced {
        println!(
            "calendar {}: {} days listed, {} working days",
            y.year, y.days, y.working_days
        );
    }
    println!("{} years replaced", replaced.len());
    Ok(())
}

fn print_demo(summary: &demo::DemoSummary) {
    let line = |what: &str, c: &enterprise_assist::db::pairings::Changes| {
        println!(
            "  {what:<12} {} created, {} updated, {} unchanged",
            c.created, c.updated, c.unchanged
        );
    };
    println!(
        "demo programme for {} {} ({} county-level units):",
        summary.region.code, summary.region.name, summary.counties
    );
    line("departments", &summary.departments);
    line("accounts", &summary.people);
    line("enterprises", &summary.enterprises);
    line("pairings", &summary.pairings);
    line("staff", &summary.staff);
    let shown: Vec<&str> = summary
        .accounts
        .iter()
        .take(6)
        .map(String::as_str)
        .collect();
    let more = summary.accounts.len().saturating_sub(shown.len());
    println!(
        "log in as {}{}",
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more supervisors")
        } else {
            String::new()
        }
    );
    println!(
        "or as a cadre, cadre.<region code>.001 (e.g. cadre.{}.001)",
        summary.region.code
    );
    if let Some(staff) = &summary.staff_example {
        println!("or as an enterprise's staff, ent.<county code>.<n> (e.g. {staff})");
    }
    println!("every demo account's password: {}", demo::DEMO_PASSWORD);
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

/// What was wrong: the problem's detail, or each bad field on a line of its own.
fn describe(error: &enterprise_assist::error::Error) -> String {
    let problem = error.problem();
    match problem.errors {
        Some(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("\n"),
        None => problem.detail,
    }
}

/// Password hashing allocates 19 MiB a time on whichever blocking thread runs it. glibc would
/// raise its mmap threshold after the first such block and keep the next ones in per-thread
/// arenas for good; a fixed threshold returns them to the system, and fewer arenas keep
/// fragmentation down. (Measured: idle RSS after 65 hashes fell from about 300 MB.)
fn limit_allocator_retention() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 4);
    }
}
