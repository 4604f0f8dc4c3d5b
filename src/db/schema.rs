//! Table definitions shared by both backends: only portable column types.

diesel::table! {
    regions (code) {
        code -> Text,
        name -> Text,
        level -> Text,
        parent_code -> Nullable<Text>,
    }
}

diesel::table! {
    enterprises (id) {
        id -> BigInt,
        name -> Text,
        uscc -> Text,
        county_code -> Text,
        industry -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        password_hash -> Nullable<Text>,
        role -> Text,
        kind -> Text,
        region_code -> Nullable<Text>,
        enterprise_id -> Nullable<BigInt>,
        department -> Nullable<Text>,
        display_name -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        token_generation -> BigInt,
        department_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    departments (id) {
        id -> BigInt,
        region_code -> Text,
        name -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    department_categories (department_id, category) {
        department_id -> BigInt,
        category -> Text,
    }
}

diesel::table! {
    api_clients (id) {
        id -> BigInt,
        client_id -> Text,
        secret_hash -> Text,
        name -> Text,
        enterprise_id -> BigInt,
        user_id -> BigInt,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        token_hash -> Text,
        family_id -> Text,
        user_id -> BigInt,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        family_started_at -> Timestamp,
    }
}

diesel::table! {
    login_throttle (throttle_key) {
        throttle_key -> Text,
        username_key -> Text,
        failures -> Integer,
        window_starts_at -> Timestamp,
    }
}

diesel::table! {
    token_revocations (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        generation -> Nullable<BigInt>,
        family_id -> Nullable<Text>,
        revoked_at -> Timestamp,
    }
}

diesel::table! {
    enterprise_cadres (enterprise_id, user_id) {
        enterprise_id -> BigInt,
        user_id -> BigInt,
        is_primary -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    categories (code) {
        code -> Text,
        name -> Text,
        active -> Bool,
        normal_accept -> Text,
        normal_feedback -> Text,
        normal_resolve -> Text,
        urgent_accept -> Text,
        urgent_feedback -> Text,
        urgent_resolve -> Text,
    }
}

diesel::table! {
    tickets (id) {
        id -> BigInt,
        enterprise_id -> BigInt,
        county_code -> Text,
        category -> Text,
        priority -> Text,
        title -> Text,
        description -> Text,
        status -> Text,
        level -> Text,
        assignee_id -> Nullable<BigInt>,
        filed_by -> BigInt,
        response_due_at -> Timestamp,
        due_at -> Timestamp,
        yellow_at -> Timestamp,
        orange_at -> Timestamp,
        red_at -> Timestamp,
        first_response_at -> Nullable<Timestamp>,
        first_resolved_at -> Nullable<Timestamp>,
        resolved_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        resolution -> Nullable<Text>,
        rating -> Nullable<Integer>,
        reopen_count -> Integer,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        counted_warning -> Nullable<Text>,
        counted_until -> Nullable<Timestamp>,
        filed_month -> Text,
        feedback_sla -> Text,
        resolve_unit -> Text,
        original_due_at -> Timestamp,
        feedback_due_at -> Nullable<Timestamp>,
        accept_breached -> Bool,
        feedback_breaches -> Integer,
        resolve_breached -> Bool,
        next_breach_at -> Timestamp,
        paused_at -> Nullable<Timestamp>,
        paused_seconds -> BigInt,
        open_supervisions -> Integer,
        supervision_count -> Integer,
        return_count -> Integer,
    }
}

diesel::table! {
    ticket_collaborators (ticket_id, user_id) {
        ticket_id -> BigInt,
        user_id -> BigInt,
        county_code -> Text,
        task -> Text,
        status -> Text,
        added_by -> BigInt,
        added_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    ticket_supervisions (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        county_code -> Text,
        issued_by -> BigInt,
        instruction -> Text,
        issued_at -> Timestamp,
        respond_by -> Timestamp,
        status -> Text,
        response -> Nullable<Text>,
        responded_by -> Nullable<BigInt>,
        responded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    ticket_extensions (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        county_code -> Text,
        working_days -> Integer,
        reason -> Text,
        status -> Text,
        requested_by -> BigInt,
        requested_at -> Timestamp,
        decided_by -> Nullable<BigInt>,
        decided_at -> Nullable<Timestamp>,
        decision_comment -> Nullable<Text>,
    }
}

diesel::table! {
    ticket_comments (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        author_id -> BigInt,
        body -> Text,
        internal -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ticket_events (id) {
        id -> BigInt,
        ticket_id -> BigInt,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Nullable<Text>,
        details -> Text,
        internal -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (user_id, key) {
        user_id -> BigInt,
        key -> Text,
        request_hash -> Text,
        ticket_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ticket_stats (category, period, county_code, slot) {
        category -> Text,
        period -> Text,
        county_code -> Text,
        slot -> Integer,
        filed -> Integer,
        withdrawn -> Integer,
        open -> Integer,
        resolved -> Integer,
        closed -> Integer,
        reached_resolved -> Integer,
        resolved_on_time -> Integer,
        resolution_minutes -> Integer,
        rated -> Integer,
        rating_sum -> Integer,
        accepted -> Integer,
        accepted_on_time -> Integer,
        feedback_breaches -> Integer,
        extended -> Integer,
        resolved_on_time_original -> Integer,
        supervised -> Integer,
        returned -> Integer,
    }
}

diesel::table! {
    ticket_warnings (category, county_code) {
        category -> Text,
        county_code -> Text,
        yellow -> Integer,
        orange -> Integer,
        red -> Integer,
    }
}

diesel::table! {
    service_state (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    calendar_years (year) {
        year -> Integer,
    }
}

diesel::table! {
    calendar_days (date) {
        date -> Date,
        year -> Integer,
        kind -> Text,
        name -> Nullable<Text>,
    }
}

diesel::table! {
    calendar_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    frozen_months (month) {
        month -> Text,
        frozen_at -> Timestamp,
        formula_version -> Integer,
    }
}

diesel::table! {
    monthly_reports (month, region_code) {
        month -> Text,
        region_code -> Text,
        report -> Text,
    }
}

diesel::joinable!(tickets -> enterprises (enterprise_id));
diesel::joinable!(ticket_comments -> tickets (ticket_id));
diesel::joinable!(ticket_events -> tickets (ticket_id));
diesel::joinable!(ticket_extensions -> tickets (ticket_id));
diesel::joinable!(ticket_collaborators -> tickets (ticket_id));
diesel::joinable!(ticket_supervisions -> tickets (ticket_id));
diesel::joinable!(department_categories -> departments (department_id));
diesel::joinable!(users -> departments (department_id));
diesel::joinable!(api_clients -> enterprises (enterprise_id));
diesel::joinable!(enterprise_cadres -> enterprises (enterprise_id));
diesel::joinable!(enterprise_cadres -> users (user_id));
diesel::joinable!(api_clients -> users (user_id));
diesel::joinable!(monthly_reports -> frozen_months (month));
diesel::joinable!(users -> enterprises (enterprise_id));
diesel::allow_tables_to_appear_in_same_query!(
    regions,
    enterprises,
    users,
    api_clients,
    refresh_tokens,
    login_throttle,
    token_revocations,
    enterprise_cadres,
    categories,
    tickets,
    ticket_comments,
    ticket_events,
    ticket_extensions,
    ticket_collaborators,
    ticket_supervisions,
    departments,
    department_categories,
    idempotency_keys,
    ticket_stats,
    ticket_warnings,
    service_state,
    frozen_months,
    monthly_reports,
);
