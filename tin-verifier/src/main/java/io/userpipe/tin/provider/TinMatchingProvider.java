package io.userpipe.tin.provider;

/** A TIN-matching service modelled on the IRS TIN Matching program. */
public interface TinMatchingProvider {

  /** Asks about one TIN/name pair; throws when the provider could not be asked (retried). */
  TinMatchAnswer match(TinMatchRequest request) throws Exception;
}
