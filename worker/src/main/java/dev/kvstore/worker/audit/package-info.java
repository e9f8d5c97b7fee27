/**
 * The {@code audit} function: stores each audit event in its tenant's audit log, once.
 */
package dev.kvstore.worker.audit;
