package io.userpipe.projections.topology;

/**
 * Who is told, on the stream thread, that a view was just written: the HTTP door's awaited answers
 * ({@code ViewWaits}), which then look again instead of polling. A call must return at once.
 */
public interface ViewChanges {

  /** Nobody listens (tools, tests, a rebuild). */
  ViewChanges NONE =
      new ViewChanges() {
        @Override
        public void user(String userId) {}

        @Override
        public void command(String commandId) {}
      };

  /** The user's view, or their key, was written. */
  void user(String userId);

  /** The command's result was recorded. */
  void command(String commandId);
}
