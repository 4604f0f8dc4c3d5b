//! HTTP handlers, one module per resource, and the one route table.

mod auth;
mod calendar;
mod categories;
mod collaborators;
mod departments;
mod dispatch;
mod enterprises;
mod extensions;
pub mod extract;
mod imports;
mod ops;
mod pairings;
mod problems;
mod regions;
mod reports;
mod supervision;
mod ticket_activity;
mod tickets;
mod users;
pub mod web;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

pub use crate::state::AppState;

/// Every route of the service; the OpenAPI document is collected from the same calls.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(ops::healthz)
        .service(ops::readyz)
        .service(ops::metrics)
        .service(ops::openapi_yaml)
        .service(problems::list_problem_types)
        .service(problems::describe_problem_type)
        .service(
            scope("/api/v1")
                .service(auth::login)
                .service(auth::refresh)
                .service(auth::logout)
                .service(auth::token)
                .service(auth::me)
                .service(auth::change_password)
                .service(regions::list_regions)
                .service(regions::get_region)
                .service(users::create_user)
                .service(users::list_users)
                .service(users::get_user)
                .service(users::update_user)
                .service(users::unlock_user)
                .service(enterprises::create_enterprise)
                .service(enterprises::get_enterprise)
                .service(enterprises::list_enterprises)
                .service(enterprises::update_enterprise)
                .service(enterprises::create_client)
                .service(enterprises::list_clients)
                .service(enterprises::revoke_client)
                .service(categories::list_categories)
                .service(categories::create_category)
                .service(categories::update_category)
                .service(departments::list_departments)
                .service(departments::create_department)
                .service(departments::get_department)
                .service(departments::update_department)
                .service(tickets::file_ticket)
                .service(tickets::list_tickets)
                .service(tickets::get_ticket)
                .service(tickets::assign)
                .service(tickets::accept)
                .service(tickets::escalate)
                .service(tickets::resolve)
                .service(tickets::confirm)
                .service(tickets::reopen)
                .service(tickets::withdraw)
                .service(tickets::return_ticket)
                .service(tickets::request_info)
                .service(tickets::provide_info)
                .service(ticket_activity::add_comment)
                .service(ticket_activity::list_comments)
                .service(ticket_activity::list_events)
                .service(extensions::request_extension)
                .service(extensions::list_ticket_extensions)
                .service(extensions::approve_extension)
                .service(extensions::reject_extension)
                .service(extensions::list_extensions)
                .service(dispatch::candidates)
                .service(collaborators::add_collaborator)
                .service(collaborators::list_collaborators)
                .service(collaborators::complete_task)
                .service(collaborators::remove_collaborator)
                .service(supervision::issue)
                .service(supervision::list_ticket_supervision)
                .service(supervision::respond)
                .service(supervision::list_supervision)
                .service(reports::report)
                .service(reports::trend)
                .service(reports::monthly_report)
                .service(reports::workload_report)
                .service(pairings::list_cadres)
                .service(pairings::set_cadres)
                .service(pairings::paired_enterprises)
                .service(imports::import)
                .service(calendar::get_calendar)
                .service(calendar::put_calendar),
        );
}

pub use ops::OPENAPI_YAML;
