/**
 * The HTTP edge (local, docker compose, Knative): a thin RouterFunction over the
 * dispatcher.
 */
package dev.kvstore.functions.http;
