/**
 * The tenant: who owns a request's data, taken only from a verified access token.
 */
package dev.kvstore.tenant;
