package io.userpipe.client;

import io.userpipe.schemas.DeleteUser;
import io.userpipe.schemas.RemovePayoutMethod;
import io.userpipe.schemas.SendVerificationToken;
import io.userpipe.schemas.VerifyUser;

/**
 * Every command a platform may send through the Kafka door, one builder each. The platform id, the
 * issue time, the topic, the key and the sealing of secrets are the client's; a builder holds only
 * what the caller chooses. Operators' commands (erasure, OFAC review decisions) are not here: only
 * the operator console sends them.
 */
public final class Commands {

  private Commands() {}

  /** Creates a user, or connects the existing person with the phone number to the platform. */
  public static CreateUserCommand createUser() {
    return new CreateUserCommand();
  }

  public static UpdateUserCommand updateUser(String userId) {
    return new UpdateUserCommand(userId);
  }

  /** Deletes the user for this platform (the person is erased once no platform is connected). */
  public static SimpleUserCommand deleteUser(String userId) {
    return new SimpleUserCommand(userId, (commandId, secrets) -> new DeleteUser());
  }

  /** Sends a fresh one-time code to the user's phone. */
  public static SimpleUserCommand sendVerificationToken(String userId) {
    return new SimpleUserCommand(userId, (commandId, secrets) -> new SendVerificationToken());
  }

  /** Checks the one-time code the person entered; the code is sealed when the command is sent. */
  public static SimpleUserCommand verifyUser(String userId, String code) {
    CommandBuilder.required(code, "token");
    return new SimpleUserCommand(
        userId,
        (commandId, secrets) ->
            new VerifyUser(CommandBuilder.sealer(secrets).sealCode(commandId, code)));
  }

  /** A W-9 with the TIN to verify. */
  public static W9Command submitW9(String userId) {
    return new W9Command(userId);
  }

  /** A W-8BEN, for foreign payees. */
  public static W8BenCommand submitW8Ben(String userId) {
    return new W8BenCommand(userId);
  }

  /** An ACH account; {@code accountType} is checking or savings. */
  public static AddPayoutMethodCommand addAchPayoutMethod(
      String userId, String routingNumber, String accountNumber, String accountType) {
    return AddPayoutMethodCommand.ach(userId, routingNumber, accountNumber, accountType);
  }

  public static AddPayoutMethodCommand addPaypalPayoutMethod(String userId, String email) {
    return AddPayoutMethodCommand.paypal(userId, email);
  }

  /** {@code phone} in E.164. */
  public static AddPayoutMethodCommand addVenmoPayoutMethod(String userId, String phone) {
    return AddPayoutMethodCommand.venmo(userId, phone);
  }

  public static AddPayoutMethodCommand addCashAppPayoutMethod(String userId, String cashtag) {
    return AddPayoutMethodCommand.cashApp(userId, cashtag);
  }

  public static SimpleUserCommand removePayoutMethod(String userId, String payoutMethodId) {
    CommandBuilder.required(payoutMethodId, "payout_method_id");
    return new SimpleUserCommand(
        userId, (commandId, secrets) -> new RemovePayoutMethod(payoutMethodId));
  }

  /** The user completed ID verification: decided by ofac-screener. */
  public static IdVerificationCommand submitIdVerification(String userId) {
    return new IdVerificationCommand(userId);
  }
}
