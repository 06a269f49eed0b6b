package io.userpipe.ofac.list;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OfacListParserTest {
  private static final String SDN =
      "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
          + "306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
          + "\"a.k.a. 'BNC'.\"\r\n"
          + "2674,\"ABU NIDAL, Sabri\",\"individual\",\"SDT] [SDGT\",\"Leader\",-0- ,-0- ,-0- ,-0- ,"
          + "-0- ,-0- ,\"DOB 10 Jan 1937; alt. DOB circa 1940; POB Jaffa, Palestine; nationality"
          + " Iraq; citizen Palestinian; a.k.a. 'ABU NADAL'; f.k.a. 'AL-BANNA'; DOB 1958 to"
          + " 1960\"\r\n"
          + "\u001a";
  private static final String ALT =
      "306,220,\"aka\",\"NATIONAL BANK OF CUBA\",-0- \r\n"
          + "2674,1000,\"nka\",\"AL-BANNA, Sabri Khalil\",\"note\"\r\n";
  private static final String ADD =
      "36,25,-0- ,\"Havana\",\"Cuba\",-0- \r\n" + "2674,26,-0- ,-0- ,\"Iraq\",-0- \r\n";
  private static final String COMMENTS = "2674,\"; Passport 123\"\n99999,\"orphan\"\n";

  private static ListFiles files(String sdn, String alt, String add, String comments) {
    Map<String, byte[]> m = new HashMap<>();
    m.put("sdn.csv", sdn.getBytes(StandardCharsets.US_ASCII));
    if (alt != null) {
      m.put("alt.csv", alt.getBytes(StandardCharsets.US_ASCII));
    }
    if (add != null) {
      m.put("add.csv", add.getBytes(StandardCharsets.US_ASCII));
    }
    if (comments != null) {
      m.put("sdn_comments.csv", comments.getBytes(StandardCharsets.US_ASCII));
    }
    return new ListFiles(m);
  }

  private static SdnEntry entry(OfacList list, int ent) {
    return list.byEntNum().get(ent);
  }

  @Test
  void readsEntriesWithEmptyMarkersTypesAndPrograms() throws Exception {
    OfacList list = OfacListParser.parse(files(SDN, ALT, ADD, COMMENTS), "test");
    assertEquals(3, list.entries().size());
    SdnEntry airline = entry(list, 36);
    assertEquals(SdnType.ENTITY, airline.type(), "-0- in SDN_Type means an entity");
    assertNull(airline.title(), "-0- means empty");
    assertEquals(List.of("CUBA"), airline.programs());
    SdnEntry person = entry(list, 2674);
    assertEquals(SdnType.INDIVIDUAL, person.type());
    assertEquals(List.of("SDT", "SDGT"), person.programs(), "programs joined by '] ['");
    assertEquals("Leader", person.title());
  }

  @Test
  void takesAliasesFromAltCsvAndWeakAliasesFromRemarks() throws Exception {
    OfacList list = OfacListParser.parse(files(SDN, ALT, ADD, COMMENTS), "test");
    List<AltName> bank = entry(list, 306).altNames();
    assertTrue(bank.contains(new AltName(220, "aka", "NATIONAL BANK OF CUBA")));
    assertTrue(bank.stream().anyMatch(a -> a.weak() && a.name().equals("BNC")));
    List<AltName> person = entry(list, 2674).altNames();
    assertTrue(person.stream().anyMatch(a -> a.kind().equals("nka")));
    assertTrue(
        person.stream().anyMatch(a -> a.kind().equals("weak-aka") && a.name().equals("ABU NADAL")));
    assertTrue(
        person.stream().anyMatch(a -> a.kind().equals("weak-fka") && a.name().equals("AL-BANNA")));
  }

  @Test
  void readsBirthDatesPlacesNationalitiesAndAddresses() throws Exception {
    SdnEntry person = entry(OfacListParser.parse(files(SDN, ALT, ADD, COMMENTS), "t"), 2674);
    assertEquals(List.of("1937-01-10", "1940", "1958", "1959", "1960"), person.birthDates());
    assertEquals(List.of("Jaffa, Palestine"), person.birthPlaces());
    assertEquals(List.of("Iraq", "Palestinian"), person.nationalities());
    assertEquals("Iraq", person.addresses().get(0).country());
    assertTrue(person.countries().containsAll(List.of("Iraq", "Palestinian", "Palestine")));
  }

  @Test
  void appendsTheCommentsContinuationAndSkipsCommentsOfEntriesNoLongerListed() throws Exception {
    SdnEntry person = entry(OfacListParser.parse(files(SDN, ALT, ADD, COMMENTS), "t"), 2674);
    assertTrue(person.remarks().endsWith("; Passport 123"));
  }

  @Test
  void theSameFilesGiveTheSameVersionAndOtherFilesAnother() {
    assertEquals(files(SDN, ALT, ADD, null).version(), files(SDN, ALT, ADD, null).version());
    assertNotEquals(files(SDN, ALT, ADD, null).version(), files(SDN, ALT, null, null).version());
  }

  @Test
  void rejectsTheWholeListNamingFileLineAndReason() {
    String badCount = SDN.replace("\"Leader\",", "");
    MalformedListException e =
        assertThrows(
            MalformedListException.class,
            () -> OfacListParser.parse(files(badCount, null, null, null), "t"));
    assertEquals("sdn.csv", e.file());
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("expected 12 fields"), e.getMessage());

    e =
        assertThrows(
            MalformedListException.class,
            () ->
                OfacListParser.parse(files(SDN, "555,1,\"aka\",\"X\",-0- \r\n", null, null), "t"));
    assertEquals("alt.csv", e.file());
    assertTrue(e.getMessage().contains("ent_num 555 is not an entry"), e.getMessage());

    e =
        assertThrows(
            MalformedListException.class,
            () ->
                OfacListParser.parse(
                    files(SDN, "306,1,\"alias\",\"X\",-0- \r\n", null, null), "t"));
    assertTrue(e.getMessage().contains("alt_type 'alias'"), e.getMessage());

    e =
        assertThrows(
            MalformedListException.class,
            () -> OfacListParser.parse(files("36,\"OPEN,-0- \r\n", null, null, null), "t"));
    assertTrue(e.getMessage().contains("never closed"), e.getMessage());

    e =
        assertThrows(
            MalformedListException.class,
            () -> OfacListParser.parse(files(SDN + SDN, null, null, null), "t"));
    assertTrue(e.getMessage().contains("repeats"), e.getMessage());

    e =
        assertThrows(
            MalformedListException.class,
            () -> OfacListParser.parse(files("x" + SDN, null, null, null), "t"));
    assertTrue(e.getMessage().contains("ent_num 'x36'"), e.getMessage());
  }

  @Test
  void parsesTheShippedListCompletely() throws Exception {
    OfacList list = OfacListParser.parse(ListFiles.shipped(), "shipped");
    assertEquals(13_821, list.entries().size());
    assertEquals(
        6_646, list.entries().stream().filter(e -> e.type() == SdnType.INDIVIDUAL).count());
    assertEquals(
        17_091,
        list.entries().stream().flatMap(e -> e.altNames().stream()).filter(a -> !a.weak()).count());
    assertEquals(18_990, list.entries().stream().mapToInt(e -> e.addresses().size()).sum());
    assertTrue(
        list.entries().stream().flatMap(e -> e.altNames().stream()).filter(AltName::weak).count()
            > 3_000);
  }

  @Test
  void readsTheSharedNewerSdnFileAlone() throws Exception {
    Path dir = Path.of("../../shared/data/ofac/2024-05-03");
    org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(dir));
    OfacList list = OfacListParser.parse(ListFiles.fromDirectory(dir), "2024-05-03");
    // SOURCE.md says 14,964; Python's csv module reads 14,965 records besides the 0x1A line, as we
    // do.
    assertEquals(14_965, list.entries().size());
  }
}
