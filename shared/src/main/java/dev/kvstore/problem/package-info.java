/**
 * The one exception tree of the API and its mapping to RFC 9457 problem details.
 */
package dev.kvstore.problem;
