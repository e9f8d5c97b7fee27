/**
 * The one-command local run, with nothing but a JDK: an embedded Redis when none is
 * configured, and when no broker is, audit events stored in-process by the worker's own
 * audit consumer and the expired-key cleanup on the worker's schedule.
 */
package dev.kvstore.functions.local;
