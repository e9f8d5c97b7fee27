/**
 * The HTTP edge (local, docker compose, Knative) on Netty: the API straight from the HTTP
 * handler to the dispatcher, the documentation through WebFlux, the request id, the
 * client address, and problem+json for what is refused before the dispatcher.
 */
package dev.kvstore.functions.http;
