/**
 * The API's JSON: one mapper, snake_case on the wire, numbers kept exactly as sent.
 */
package dev.kvstore.json;
