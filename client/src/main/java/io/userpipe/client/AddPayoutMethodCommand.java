package io.userpipe.client;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.schemas.AddPayoutMethod;
import io.userpipe.schemas.PayoutMethodIds;

/**
 * Adds a way to pay the user ({@link Commands#addAchPayoutMethod} and its siblings). An ACH account
 * number is sealed under the active edge key, bound to this command's id, before it leaves the
 * process. The new method's id follows from the command id ({@link #payoutMethodId}).
 */
public final class AddPayoutMethodCommand extends UserCommandBuilder<AddPayoutMethodCommand> {

  private final String kind;
  private String routingNumber;
  private String accountNumber;
  private String accountType;
  private String email;
  private String phone;
  private String cashtag;

  private AddPayoutMethodCommand(String userId, String kind) {
    super(userId);
    this.kind = kind;
  }

  static AddPayoutMethodCommand ach(
      String userId, String routingNumber, String accountNumber, String accountType) {
    var c = new AddPayoutMethodCommand(userId, "ach");
    c.routingNumber = required(routingNumber, "routing_number");
    c.accountNumber = required(accountNumber, "account_number");
    c.accountType = required(accountType, "account_type");
    return c;
  }

  static AddPayoutMethodCommand paypal(String userId, String email) {
    var c = new AddPayoutMethodCommand(userId, "paypal");
    c.email = required(email, "email");
    return c;
  }

  static AddPayoutMethodCommand venmo(String userId, String phone) {
    var c = new AddPayoutMethodCommand(userId, "venmo");
    c.phone = required(phone, "phone");
    return c;
  }

  static AddPayoutMethodCommand cashApp(String userId, String cashtag) {
    var c = new AddPayoutMethodCommand(userId, "cash_app");
    c.cashtag = required(cashtag, "cashtag");
    return c;
  }

  /** The id the method gets when this platform's command is accepted. */
  public String payoutMethodId(String platformId) {
    return PayoutMethodIds.of(commandId(platformId));
  }

  @Override
  Object payload(String commandId, CommandSecrets secrets) {
    return AddPayoutMethod.newBuilder()
        .setKind(kind)
        .setRoutingNumber(routingNumber)
        .setAccountNumber(
            accountNumber == null
                ? null
                : sealer(secrets).sealAccountNumber(commandId, accountNumber))
        .setAccountType(accountType)
        .setEmail(email)
        .setPhone(phone)
        .setCashtag(cashtag)
        .build();
  }
}
