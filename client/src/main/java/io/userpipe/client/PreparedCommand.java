package io.userpipe.client;

import org.apache.avro.specific.SpecificRecord;

/**
 * A command ready to send: its platform topic, its key (E.164 phone for a create, user id
 * otherwise), its id and the record ({@code UserCommand} or {@code OfacCommand}).
 */
public record PreparedCommand(String topic, String key, String commandId, SpecificRecord value) {}
