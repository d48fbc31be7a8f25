// Feeds and XML documents for the XML tests, in the shapes real publishers write.

export const RSS = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Example News</title>
  <link>https://news.example/</link>
  <atom:link href="https://news.example/feed?page=2" rel="next" type="application/rss+xml"/>
  <item>
    <title>First &amp; foremost</title>
    <link>https://news.example/a/1</link>
    <guid isPermaLink="false">id-1</guid>
    <pubDate>Tue, 02 Jan 2024 10:00:00 +0100</pubDate>
    <dc:creator>Ada Lovelace</dc:creator>
    <category>science</category>
    <category>history</category>
    <description><![CDATA[<p>Some <b>bold</b> text</p>]]></description>
    <media:content url="https://cdn.example/1.jpg" medium="image"/>
  </item>
  <item>
    <title>Second</title>
    <link>https://news.example/a/2</link>
    <guid isPermaLink="true">https://news.example/a/2</guid>
    <pubDate>Wed, 03 Jan 2024 08:30:00 GMT</pubDate>
    <dc:creator>Grace Hopper</dc:creator>
    <description>Plain text</description>
  </item>
</channel>
</rss>`;

export const ATOM = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
  <title>Example Blog</title>
  <link rel="self" href="https://blog.example/atom.xml"/>
  <link rel="next" href="/atom.xml?page=2"/>
  <entry>
    <title type="html">Hello &lt;world&gt;</title>
    <link rel="alternate" href="https://blog.example/hello"/>
    <id>urn:uuid:1</id>
    <updated>2024-02-01T12:00:00Z</updated>
    <author><name>Alan</name></author>
    <thr:total>4</thr:total>
  </entry>
  <entry>
    <title>Second post</title>
    <link rel="alternate" href="/second"/>
    <id>urn:uuid:2</id>
    <updated>2024-02-02T12:00:00Z</updated>
    <author><name>Barbara</name></author>
  </entry>
</feed>`;
