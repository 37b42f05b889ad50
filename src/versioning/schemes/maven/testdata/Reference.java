// Differential reference for index.test.ts: Maven's own ComparableVersion (maven-artifact).
// stdin: a count N, N hex-encoded UTF-8 versions, then "i j" index pairs, one per line.
// stdout: the maven-artifact version, then "ok" per version (every string parses), then -1/0/1 per pair.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.maven.artifact.versioning.ComparableVersion;

public class Reference {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    StringBuilder out = new StringBuilder();
    out.append("maven-artifact ").append(ComparableVersion.class.getPackage().getImplementationVersion()).append('\n');
    int count = Integer.parseInt(in.readLine().trim());
    ComparableVersion[] parsed = new ComparableVersion[count];
    for (int i = 0; i < count; i++) {
      byte[] bytes = HexFormat.of().parseHex(in.readLine());
      parsed[i] = new ComparableVersion(new String(bytes, StandardCharsets.UTF_8));
      out.append("ok\n");
    }
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isEmpty()) continue;
      int space = line.indexOf(' ');
      int a = Integer.parseInt(line.substring(0, space));
      int b = Integer.parseInt(line.substring(space + 1));
      out.append(Integer.signum(parsed[a].compareTo(parsed[b]))).append('\n');
    }
    System.out.print(out);
  }
}
