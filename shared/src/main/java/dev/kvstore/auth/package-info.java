/**
 * Accounts and sessions: registration, passwords, JWT access and refresh tokens.
 */
package dev.kvstore.auth;
