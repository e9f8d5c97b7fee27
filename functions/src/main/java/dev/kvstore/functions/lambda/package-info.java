/**
 * The AWS Lambda edge: API Gateway events in, through the same dispatcher as the HTTP
 * edge.
 */
package dev.kvstore.functions.lambda;
