// Compares the host's resolved class path with the SDK build's (both compile + runtime scope).
def parse = { File f ->
    def out = new TreeSet<String>()
    f.eachLine { line ->
        // groupId:artifactId:type[:classifier]:version:scope, then maybe " -- module ..."
        def m = line.trim() =~ /^([^:\s]+):([^:\s]+):([^:\s]+)(?::([^:\s]+))?:([^:\s]+):(compile|runtime)\b/
        if (m.find()) {
            out << [m.group(1), m.group(2), m.group(3), m.group(4) ?: '', m.group(5)].join(':')
        }
    }
    out
}
def host = parse(new File(basedir, 'host-deps.txt'))
def sdk = parse(new File(sdkDeps))
def thirdParty = { Set<String> s -> s.findAll { !it.startsWith('org.persona4j:') } as TreeSet }
def h = thirdParty(host)
def s = thirdParty(sdk)
if (h.size() < 20) {
    throw new AssertionError("the host resolved only ${h.size()} third-party artifacts: " + h)
}
def testLibs = h.findAll { it.startsWith('org.junit') || it.startsWith('org.opentest4j:') || it.startsWith('org.mockito') || it.startsWith('junit:') || it.startsWith('org.hamcrest') }
if (!testLibs.isEmpty()) {
    throw new AssertionError("test libraries on the host's compile/runtime class path: " + testLibs)
}
def onlyHost = h - s
def onlySdk = s - h
if (!onlyHost.isEmpty() || !onlySdk.isEmpty()) {
    throw new AssertionError("the host and the SDK build resolve different third-party versions\n  only the host: " + onlyHost + "\n  only the SDK build: " + onlySdk)
}
println "host class path: ${h.size()} third-party artifacts, the same versions as the SDK build, no test library"
return true
