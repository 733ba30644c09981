/**
 * Threading helpers shared by the features: {@link io.mallgate.concurrent.OwningContext}, the one Vert.x context a
 * piece of state is confined to, whose Futures complete back on the caller's context.
 */
package io.mallgate.concurrent;
