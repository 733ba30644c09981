/**
 * Threading helpers shared by the features: {@link io.mallgate.concurrent.OwningContext}, the one Vert.x context a
 * piece of state is confined to, whose Futures complete back on the caller's context; {@link
 * io.mallgate.concurrent.LoopTimeouts}, one timer per event loop for many deadlines; {@link
 * io.mallgate.concurrent.InTurn}, asynchronous steps one after another without nesting their futures.
 */
package io.mallgate.concurrent;
