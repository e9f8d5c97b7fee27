/**
 * Logging set-up: console output written off the request threads.
 */
package dev.kvstore.functions.logging;
