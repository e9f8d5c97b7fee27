/**
 * The dispatcher both edges share: route, token check, input, function call, answer or
 * problem.
 */
package dev.kvstore.functions.dispatch;
