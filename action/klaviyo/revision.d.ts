/** The Klaviyo API revision this project is written against. Sent as the `revision` header on every call. */
export declare const KLAVIYO_REVISION = "2026-07-15";
/** Klaviyo's production API origin. */
export declare const KLAVIYO_DEFAULT_BASE_URL = "https://a.klaviyo.com";
