# Writes a RubyGems corpus: for random pairs of version strings, what Gem::Version#<=> says.
# Lines: "cmp<TAB>a<TAB>b<TAB>sign" for valid pairs, "invalid<TAB>s" for strings Gem::Version rejects.
rnd = Random.new(4242)
pick = ->(*options) { options[rnd.rand(options.size)] }

version = lambda do
  first = pick.("0", "1", "2", "10", "01")
  parts = Array.new(rnd.rand(5)) { pick.("0", "1", "2", "10", "a", "b", "pre", "rc1", "a10", "A", "beta2", "0a", "Z") }
  dash = pick.("", "", "", "-1", "-rc", "-pre.2", "-x-y", "-0")
  space = pick.("", "", "", " ")
  space + ([first] + parts).join(".") + dash + space
end

puts "# rubygems #{Gem::VERSION}"
vs = Array.new(500) { version.() }
vs.first(400).each do |a|
  b = pick.(vs[rnd.rand(vs.size)], a.sub("1", "2"), a + ".0", a + ".a", a.sub(/\.0\z/, ""), a + "-1")
  next unless Gem::Version.correct?(a) && Gem::Version.correct?(b)
  puts "cmp\t#{a}\t#{b}\t#{Gem::Version.new(a) <=> Gem::Version.new(b)}"
end
["1.0.", "1..0", "a1", "1.0-", "1_0", "1.0 1", "-1", "1.0+b", "1.0--x", ".1", "1.0.a-"].each do |g|
  puts "invalid\t#{g}" unless Gem::Version.correct?(g)
end
