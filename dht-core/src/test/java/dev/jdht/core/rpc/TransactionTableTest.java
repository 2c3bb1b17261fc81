package dev.jdht.core.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jdht.krpc.wire.PeerAddress;
import dev.jdht.krpc.wire.TransactionId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionTableTest {
  private static final PeerAddress A = PeerAddress.parse("1.2.3.4:6881");
  private static final PeerAddress B = PeerAddress.parse("1.2.3.4:6882");

  @Test
  void completeMatchesIdAndSourceAddress() {
    TransactionTable<String> t = new TransactionTable<>(16, new Random(1));
    Transaction<String> tx = t.register("ping", A, 100, 1000, "owner");
    assertNotNull(tx);
    assertEquals(TransactionTable.ID_LENGTH, tx.id().length());
    assertEquals("ping", tx.method());
    assertEquals(100, tx.sentAt());
    assertEquals(900, tx.rttNanos(1000));
    assertNull(t.complete(tx.id(), B), "wrong port");
    assertNull(t.complete(tx.id(), PeerAddress.parse("1.2.3.5:6881")), "wrong ip");
    assertNull(t.complete(TransactionId.of(new byte[] {9, 9}), A), "unknown id");
    assertEquals(1, t.size(), "a spoofed answer does not cancel the real one");
    assertSame(tx, t.complete(tx.id(), A));
    assertEquals(0, t.size());
    assertNull(t.complete(tx.id(), A), "completes once");
    assertEquals(Long.MAX_VALUE, t.nextDeadline());
  }

  @Test
  void registerWithoutSendTimeHasUnknownRtt() {
    TransactionTable<String> t = new TransactionTable<>(4, new Random(1));
    Transaction<String> tx = t.register("find_node", A, 500, null);
    assertEquals(Transaction.UNKNOWN_TIME, tx.sentAt());
    assertEquals(-1, tx.rttNanos(400));
  }

  @Test
  void capacityIsBoundedAndIdsAreUnique() {
    TransactionTable<Integer> t = new TransactionTable<>(1000, new Random(2));
    Set<TransactionId> ids = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      Transaction<Integer> tx = t.register("ping", A, i, i);
      assertNotNull(tx);
      assertTrue(ids.add(tx.id()));
    }
    assertEquals(1000, t.size());
    assertEquals(1000, t.capacity());
    assertNull(t.register("ping", A, 5, -1), "full");
    t.cancel(ids.iterator().next());
    assertEquals(999, t.size());
    assertNotNull(t.register("ping", A, 5, -1));
  }

  @Test
  void collidingIdsAreRetried() {
    // a Random that repeats each value twice forces collisions
    Random repeating = new Random() {
      private int calls;
      private int last;

      @Override
      public int nextInt() {
        if (calls++ % 2 == 0) {
          last = super.nextInt();
        }
        return last;
      }
    };
    TransactionTable<Integer> t = new TransactionTable<>(100, repeating);
    Set<TransactionId> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      assertTrue(ids.add(t.register("ping", A, i, i).id()));
    }
  }

  @Test
  void expiryDrainsOldestFirstToEmpty() {
    TransactionTable<Integer> t = new TransactionTable<>(64, new Random(3));
    Random r = new Random(4);
    List<Long> deadlines = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      long d = r.nextInt(1000);
      deadlines.add(d);
      t.register("get_peers", A, d, i);
    }
    deadlines.sort(null);
    assertEquals(deadlines.get(0), t.nextDeadline());
    List<Transaction<Integer>> first = t.expire(deadlines.get(9));
    assertTrue(first.size() >= 10);
    for (int i = 1; i < first.size(); i++) {
      assertTrue(first.get(i - 1).deadline() <= first.get(i).deadline());
    }
    for (Transaction<Integer> tx : first) {
      assertTrue(tx.deadline() <= deadlines.get(9));
      assertNull(t.complete(tx.id(), A), "expired transactions no longer match");
    }
    assertTrue(t.nextDeadline() > deadlines.get(9));
    List<Transaction<Integer>> rest = t.expire(1000);
    assertEquals(50, first.size() + rest.size());
    assertEquals(0, t.size());
    assertEquals(Long.MAX_VALUE, t.nextDeadline());
    assertTrue(t.expire(Long.MAX_VALUE).isEmpty());
  }

  @Test
  void completedAndCancelledTransactionsLeaveTheDeadlineOrder() {
    TransactionTable<Integer> t = new TransactionTable<>(8, new Random(5));
    Transaction<Integer> a = t.register("ping", A, 10, 1);
    Transaction<Integer> b = t.register("ping", B, 20, 2);
    Transaction<Integer> c = t.register("ping", A, 30, 3);
    assertSame(a, t.complete(a.id(), A));
    assertEquals(20, t.nextDeadline());
    t.cancel(b.id());
    t.cancel(b.id());
    assertEquals(30, t.nextDeadline());
    assertEquals(List.of(c), t.expire(100));
  }

  @Test
  void sameDeadlineExpiresInRegistrationOrder() {
    TransactionTable<Integer> t = new TransactionTable<>(8, new Random(6));
    for (int i = 0; i < 5; i++) {
      t.register("ping", A, 7, i);
    }
    List<Integer> owners = new ArrayList<>();
    t.expire(7).forEach(tx -> owners.add(tx.owner()));
    assertEquals(List.of(0, 1, 2, 3, 4), owners);
  }
}
