package io.userpipe.commands.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayoutRulesTest {

  private final PayoutRules rules = new PayoutRules(new PhoneNormalizer());

  private Rejection refused(PayoutDetails d) {
    return assertInstanceOf(PayoutRules.Result.Invalid.class, rules.validate(d)).rejection();
  }

  private PayoutDetails accepted(PayoutDetails d) {
    return assertInstanceOf(PayoutRules.Result.Valid.class, rules.validate(d)).details();
  }

  @ParameterizedTest
  @ValueSource(strings = {"021000021", "011000015", "111000025", "322271627", "061000104"})
  void realRoutingNumbersPass(String routing) {
    assertTrue(PayoutRules.routingNumberProblem(routing).isEmpty(), routing);
  }

  @ParameterizedTest
  @ValueSource(strings = {"021000022", "011000016", "322271628", "123456789"})
  void aRoutingNumberWithAWrongCheckDigitFailsTheChecksum(String routing) {
    assertEquals("fails the ABA checksum", PayoutRules.routingNumberProblem(routing).get());
  }

  @ParameterizedTest
  @ValueSource(strings = {"000000000", "130000006", "800000006", "500000005", "990000003"})
  void aRoutingNumberOutsideTheAssignedRangesIsRefusedEvenWithAGoodChecksum(String routing) {
    var problem = PayoutRules.routingNumberProblem(routing).get();
    assertTrue(problem.contains("not an assigned ACH range"), problem);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "02100002", "0210000210", "02100002a", "021-000-021"})
  void aRoutingNumberIsExactlyNineDigits(String routing) {
    assertEquals("must be 9 digits", PayoutRules.routingNumberProblem(routing).get());
  }

  @Test
  void anAchAccountNeedsFourToSeventeenDigitsAndAType() {
    assertEquals(
        "account_number", refused(PayoutDetails.ach("021000021", "123", "checking")).field());
    assertEquals(
        "account_number",
        refused(PayoutDetails.ach("021000021", "123456789012345678", "checking")).field());
    assertEquals(
        "account_number", refused(PayoutDetails.ach("021000021", "12345x", "checking")).field());
    assertEquals(
        "account_type", refused(PayoutDetails.ach("021000021", "12345678", "brokerage")).field());
    assertEquals(
        "routing_number", refused(PayoutDetails.ach("021000022", "12345678", "checking")).field());
    var ok = accepted(PayoutDetails.ach("021000021", "000123456789", "Savings"));
    assertEquals("savings", ok.accountType());
  }

  @Test
  void aMaskNeverRevealsAWholeNumber() {
    assertEquals("****6789", PayoutDetails.ach("021000021", "000123456789", "checking").mask());
    assertEquals("****5678", PayoutDetails.ach("021000021", "12345678", "checking").mask());
    assertEquals("****567", PayoutDetails.ach("021000021", "1234567", "checking").mask());
    assertEquals("****34", PayoutDetails.ach("021000021", "1234", "checking").mask());
    for (String account : new String[] {"1234", "12345", "123456", "1234567", "12345678"}) {
      String mask = PayoutDetails.ach("021000021", account, "checking").mask();
      assertFalse(mask.contains(account), mask);
    }
  }

  @Test
  void emailsPhonesAndCashtagsAreWellFormed() {
    assertEquals("email", refused(PayoutDetails.paypal("not-an-email")).field());
    assertEquals("a***@example.com", accepted(PayoutDetails.paypal("ada@example.com")).mask());
    assertEquals("phone_number", refused(PayoutDetails.venmo("12")).field());
    assertEquals("phone_number", refused(PayoutDetails.venmo("+44 20 7946 0958")).field());
    assertEquals("+12025550143", accepted(PayoutDetails.venmo("(202) 555-0143")).phone());
    assertEquals("+12025550143", accepted(PayoutDetails.venmo("+1 202 555 0143")).phone());
    assertEquals("$ada_l", accepted(PayoutDetails.cashApp("ada_l")).cashtag());
    assertEquals("$Ada", accepted(PayoutDetails.cashApp("$Ada")).cashtag());
    assertEquals("cash_tag", refused(PayoutDetails.cashApp("$12345")).field());
    assertEquals("cash_tag", refused(PayoutDetails.cashApp("$ada-l")).field());
    assertEquals("cash_tag", refused(PayoutDetails.cashApp("$abcdefghijklmnopqrstu")).field());
  }

  @Test
  void anUnknownKindIsRefusedNamingTheKinds() {
    var r = refused(new PayoutDetails("wire", null, null, null, null, null, null));
    assertEquals("type", r.field());
    assertTrue(r.message().contains("ach, paypal, venmo or cash_app"), r.message());
  }

  @Test
  void theSameAccountSpelledDifferentlyHasOneIdentity() {
    assertEquals(
        accepted(PayoutDetails.paypal("Ada@Example.com")).identity(),
        accepted(PayoutDetails.paypal("ada@example.com")).identity());
    assertEquals(
        accepted(PayoutDetails.cashApp("$ADA")).identity(),
        accepted(PayoutDetails.cashApp("ada")).identity());
    assertEquals(
        accepted(PayoutDetails.venmo("2025550143")).identity(),
        accepted(PayoutDetails.venmo("+1 (202) 555-0143")).identity());
  }
}
