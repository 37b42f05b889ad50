# Differential reference for index.test.ts: Gem::Version#<=> of the installed RubyGems.
# stdin: a count N, N hex-encoded UTF-8 versions, then "i j" index pairs, one per line.
# stdout: the RubyGems version, then "ok"/"err" per version, then -1/0/1 (or "x") per pair.
lines = $stdin.read.split("\n")
count = Integer(lines[0])
out = ["rubygems #{Gem::VERSION}"]
parsed = lines[1, count].map do |hex|
  begin
    version = Gem::Version.new([hex].pack("H*").force_encoding(Encoding::UTF_8))
    out << "ok"
    version
  rescue ArgumentError
    out << "err"
    nil
  end
end
lines.drop(1 + count).each do |line|
  next if line.empty?
  a, b = line.split(" ").map { |k| parsed[Integer(k)] }
  out << (a.nil? || b.nil? ? "x" : (a <=> b).to_s)
end
$stdout.write(out.join("\n") + "\n")
