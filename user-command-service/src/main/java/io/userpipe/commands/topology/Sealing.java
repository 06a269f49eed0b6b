package io.userpipe.commands.topology;

import io.userpipe.runtime.crypto.CommandSecrets;
import io.userpipe.runtime.crypto.DataKeys;
import io.userpipe.runtime.crypto.UserKeys;
import io.userpipe.schemas.EncryptedValue;
import io.userpipe.schemas.PayoutDetails;
import io.userpipe.schemas.PlatformData;
import io.userpipe.schemas.ScreeningNames;
import io.userpipe.schemas.SmsContent;
import io.userpipe.schemas.TinCheck;
import io.userpipe.schemas.UserProfile;
import io.userpipe.schemas.W8BenSubmission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Everything this service seals or opens: profiles under each user's own key; secrets in commands
 * (codes, TINs, account numbers) under the edge keys; texts in the SMS outbox under the data keys.
 * Sealed values carry Avro single-object encoding (schema fingerprint + binary) inside.
 */
final class Sealing {

  private final DataKeys dataKeys;
  private final UserKeys userKeys;
  private final CommandSecrets commandSecrets;

  Sealing(DataKeys dataKeys, DataKeys edgeKeys) {
    this.dataKeys = dataKeys;
    this.userKeys = new UserKeys(dataKeys);
    // the data keys too: a command sealed under them before the edge keys existed still opens
    this.commandSecrets = new CommandSecrets(edgeKeys, dataKeys);
  }

  EncryptedValue newUserKey(String userId) {
    return userKeys.newWrappedKey(userId);
  }

  /** The user's key wrapped by the active data key, or empty if it is already. */
  java.util.Optional<EncryptedValue> rewrapUserKey(EncryptedValue userKey, String userId) {
    return userKeys.underActiveKey(userKey)
        ? java.util.Optional.empty()
        : java.util.Optional.of(userKeys.rewrap(userKey, userId));
  }

  EncryptedValue sealProfile(EncryptedValue userKey, String userId, UserProfile profile) {
    try {
      return userKeys.seal(
          userKey, userId, "profile", bytes(UserProfile.getEncoder().encode(profile)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  UserProfile openProfile(EncryptedValue userKey, String userId, EncryptedValue sealed) {
    try {
      return UserProfile.getDecoder().decode(userKeys.open(userKey, userId, "profile", sealed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One platform's own data (metadata, values sent while pending), under the user's own key. */
  EncryptedValue sealPlatformData(EncryptedValue userKey, String userId, PlatformData data) {
    try {
      return userKeys.seal(
          userKey, userId, "platform", bytes(PlatformData.getEncoder().encode(data)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  PlatformData openPlatformData(EncryptedValue userKey, String userId, EncryptedValue sealed) {
    try {
      return PlatformData.getDecoder().decode(userKeys.open(userKey, userId, "platform", sealed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A TIN and the name to match it with, under the user's own key: deleting the user shreds it. */
  EncryptedValue sealTinCheck(EncryptedValue userKey, String userId, TinCheck check) {
    try {
      return userKeys.seal(userKey, userId, "tin", bytes(TinCheck.getEncoder().encode(check)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A tax form's names to screen, under the user's own key with a purpose of their own: the one
   * ofac-screener opens besides the profile, so it never opens a TIN check or a W-8BEN.
   */
  EncryptedValue sealScreeningNames(EncryptedValue userKey, String userId, ScreeningNames names) {
    try {
      return userKeys.seal(
          userKey, userId, "screening", bytes(ScreeningNames.getEncoder().encode(names)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  EncryptedValue sealW8Ben(EncryptedValue userKey, String userId, W8BenSubmission form) {
    try {
      return userKeys.seal(
          userKey, userId, "w8ben", bytes(W8BenSubmission.getEncoder().encode(form)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where a user is paid, under the user's own key: deleting the user shreds it. */
  EncryptedValue sealPayoutDetails(EncryptedValue userKey, String userId, PayoutDetails details) {
    try {
      return userKeys.seal(
          userKey, userId, "payout", bytes(PayoutDetails.getEncoder().encode(details)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  PayoutDetails openPayoutDetails(EncryptedValue userKey, String userId, EncryptedValue sealed) {
    try {
      return PayoutDetails.getDecoder().decode(userKeys.open(userKey, userId, "payout", sealed));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String openAccountNumber(String commandId, EncryptedValue sealed) {
    return commandSecrets.openAccountNumber(commandId, sealed);
  }

  EncryptedValue sealForeignTaxId(EncryptedValue userKey, String userId, String id) {
    return userKeys.seal(
        userKey, userId, "ftin", id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  String openForeignTaxId(String commandId, EncryptedValue sealed) {
    return commandSecrets.openForeignTaxId(commandId, sealed);
  }

  String openTin(String commandId, EncryptedValue sealed) {
    return commandSecrets.openTin(commandId, sealed);
  }

  /** The one-time code a VerifyUser carries, sealed by the edge or an upstream producer. */
  String openCode(String commandId, EncryptedValue sealed) {
    return commandSecrets.openCode(commandId, sealed);
  }

  EncryptedValue sealSms(String messageId, SmsContent content) {
    try {
      return dataKeys.seal(bytes(SmsContent.getEncoder().encode(content)), "sms:" + messageId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
