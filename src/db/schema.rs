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
    }
}

diesel::table! {
    login_throttle (username) {
        username -> Text,
        failures -> Integer,
        window_starts_at -> Timestamp,
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

diesel::joinable!(api_clients -> enterprises (enterprise_id));
diesel::joinable!(enterprise_cadres -> enterprises (enterprise_id));
diesel::joinable!(enterprise_cadres -> users (user_id));
diesel::joinable!(api_clients -> users (user_id));
diesel::joinable!(users -> enterprises (enterprise_id));
diesel::allow_tables_to_appear_in_same_query!(
    regions,
    enterprises,
    users,
    api_clients,
    refresh_tokens,
    login_throttle,
    enterprise_cadres
);
