/**
 * The HTTP edge (local, docker compose, Knative): Spring WebFlux on Netty, a thin
 * RouterFunction over the dispatcher, the request id, the client address, and
 * problem+json for whatever fails outside the dispatcher.
 */
package dev.kvstore.functions.http;
