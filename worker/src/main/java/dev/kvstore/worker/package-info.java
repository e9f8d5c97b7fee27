/**
 * The worker application: stream- and cron-triggered functions (audit, expired-key
 * cleanup) arrive here with the audit issue; for now it starts with the shared store
 * configuration.
 */
package dev.kvstore.worker;
