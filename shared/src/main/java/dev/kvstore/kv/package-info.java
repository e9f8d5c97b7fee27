/**
 * Entries: the API's request and response records, their rules, and the tenant-scoped
 * repository.
 */
package dev.kvstore.kv;
