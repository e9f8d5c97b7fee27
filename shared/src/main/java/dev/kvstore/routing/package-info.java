/**
 * The route table: every public (method, path) of the API and the function bean that
 * serves it.
 */
package dev.kvstore.routing;
