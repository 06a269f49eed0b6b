package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.userpipe.commands.domain.TinRules.TinType;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TinRulesTest {

  @Test
  void acceptsDashesAndRequiresNineDigits() {
    assertEquals(Optional.of("123456789"), TinRules.digits("123-45-6789"));
    assertEquals(Optional.of("123456789"), TinRules.digits("12-3456789"));
    assertTrue(TinRules.digits("12345678").isEmpty());
    assertTrue(TinRules.digits("1234567890").isEmpty());
    assertTrue(TinRules.digits("12345678a").isEmpty());
    assertTrue(TinRules.digits(null).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"123456789", "001010001", "665999999", "899991234"})
  void acceptsValidSsns(String ssn) {
    assertEquals(Optional.empty(), TinRules.violation(TinType.SSN, ssn));
  }

  @ParameterizedTest
  @ValueSource(strings = {"000123456", "666123456", "900123456", "999123456"})
  void rejectsSsnWithInvalidArea(String ssn) {
    assertTrue(TinRules.violation(TinType.SSN, ssn).orElseThrow().contains("start with"));
  }

  @Test
  void rejectsSsnWithZeroGroup() {
    assertTrue(TinRules.violation(TinType.SSN, "123006789").orElseThrow().contains("00"));
  }

  @Test
  void rejectsSsnWithZeroSerial() {
    assertTrue(TinRules.violation(TinType.SSN, "123450000").orElseThrow().contains("0000"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "912501234",
        "912651234",
        "912701234",
        "912881234",
        "912901234",
        "912921234",
        "912941234",
        "912991234"
      })
  void acceptsItinsInEveryAssignedGroupRange(String itin) {
    assertEquals(Optional.empty(), TinRules.violation(TinType.ITIN, itin));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "812701234",
        "912491234",
        "912661234",
        "912691234",
        "912891234",
        "912931234",
        "912001234"
      })
  void rejectsItinsOutsideTheRules(String itin) {
    assertTrue(TinRules.violation(TinType.ITIN, itin).isPresent());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "001234567",
        "071234567",
        "081234567",
        "091234567",
        "171234567",
        "181234567",
        "191234567",
        "281234567",
        "291234567",
        "491234567",
        "691234567",
        "701234567",
        "781234567",
        "791234567",
        "891234567",
        "961234567",
        "971234567"
      })
  void rejectsEinWithUnassignedPrefix(String ein) {
    assertTrue(TinRules.violation(TinType.EIN, ein).orElseThrow().contains("not assigned"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"011234567", "101234567", "271234567", "951234567", "981234567", "991234567"})
  void acceptsEinWithAssignedPrefix(String ein) {
    assertEquals(Optional.empty(), TinRules.violation(TinType.EIN, ein));
  }

  @Test
  void showsOnlyTheLastFourDigits() {
    assertEquals("6789", TinRules.last4("123456789"));
  }
}
