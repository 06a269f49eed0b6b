package io.userpipe.commands.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import org.junit.jupiter.api.Test;

class IdsTest {

  @Test
  void aNewUsersIdFallsOnThePartitionItIsCreatedOn() {
    for (int partition = 0; partition < 6; partition++) {
      for (int i = 0; i < 200; i++) {
        String id = Ids.userIdFor("command-" + i, partition, 6);
        assertEquals(partition, DefaultPartitioner.partitionOf(id, 6), id);
      }
    }
  }

  @Test
  void theSameCommandYieldsTheSameUserIdAndOthersDistinctOnes() {
    assertEquals(Ids.userIdFor("c1", 3, 6), Ids.userIdFor("c1", 3, 6));
    assertNotEquals(Ids.userIdFor("c1", 3, 6), Ids.userIdFor("c2", 3, 6));
    var ids = new HashSet<String>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(Ids.userIdFor("command-" + i, i % 6, 6));
    }
    assertEquals(10_000, ids.size());
  }
}
