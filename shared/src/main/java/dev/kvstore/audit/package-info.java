/**
 * Audit: the event every change and security event produces, the per-tenant outbox it is
 * written to atomically with the change, and the tenant's audit log it ends in.
 */
package dev.kvstore.audit;
