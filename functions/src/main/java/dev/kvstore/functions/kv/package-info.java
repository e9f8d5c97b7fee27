/**
 * The key-value endpoints as Function beans.
 */
package dev.kvstore.functions.kv;
