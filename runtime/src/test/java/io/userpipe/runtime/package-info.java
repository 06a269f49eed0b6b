/** Shared test fixtures. */
package io.userpipe.runtime;
