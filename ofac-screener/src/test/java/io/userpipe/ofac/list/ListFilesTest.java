package io.userpipe.ofac.list;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ListFilesTest {

  @Test
  void aDownloadIsReadWholeUpToTheLimitAndRefusedPastItNamingTheLimit() throws IOException {
    byte[] ten = new byte[10];
    assertArrayEquals(ten, ListFiles.readBounded(new ByteArrayInputStream(ten), "sdn.csv", 10));
    var refused =
        assertThrows(
            IOException.class,
            () -> ListFiles.readBounded(new ByteArrayInputStream(new byte[11]), "sdn.csv", 10));
    assertTrue(
        refused.getMessage().contains("sdn.csv is larger than 10 bytes"), refused.getMessage());
    assertTrue(ListFiles.MAX_FILE_BYTES >= 32L << 20, "room for OFAC's files (sdn.csv ~5 MB)");
  }
}
