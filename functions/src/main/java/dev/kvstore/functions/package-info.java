/**
 * The functions application: one Function bean per endpoint, the dispatcher and the
 * edges.
 */
package dev.kvstore.functions;
