/**
 * The account and session endpoints as Function beans.
 */
package dev.kvstore.functions.auth;
