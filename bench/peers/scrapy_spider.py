"""Scrapy on the bench crawl, as its tutorial writes a spider.

Run with Debian's Scrapy 2.8: /usr/bin/python3 bench/peers/scrapy_spider.py
Configured by the same environment as the JavaScript peers: BENCH_START,
BENCH_OUT (JSON Lines), BENCH_CONCURRENCY, BENCH_PROFILE (books or articles).
Breadth-first order (FIFO queues), like the other crawlers; no delay, no robots.txt.
"""
import os
import re

import scrapy
from scrapy.crawler import CrawlerProcess

RATINGS = {"Zero": 0, "One": 1, "Two": 2, "Three": 3, "Four": 4, "Five": 5}
LISTING = re.compile(r"/page-\d+\.html$")


def squash(s):
    return " ".join((s or "").split())


def books(response):
    main = response.css(".product_main")
    price = re.search(r"([0-9]+\.[0-9]+)", main.css("p.price_color::text").get() or "")
    rating = re.search(r"star-rating (\w+)", main.css("p.star-rating::attr(class)").get() or "")
    return {
        "url": response.url,
        "title": squash(main.css("h1::text").get()),
        "price": float(price.group(1)) if price else None,
        "availability": squash(" ".join(main.css("p.instock.availability ::text").getall())),
        "rating": RATINGS.get(rating.group(1)) if rating else None,
        "upc": squash(response.css("table.table-striped td::text").get()),
    }


def articles(response):
    return {
        "url": response.url,
        "title": squash(" ".join(response.css("title ::text").getall()[:1])),
        "headline": squash(" ".join(response.xpath("(//h1)[1]//text()").getall())),
    }


PROFILES = {
    "books": ("article.product_pod h3 a::attr(href)", books),
    "articles": ("li.story h3 a::attr(href)", articles),
}


class BenchSpider(scrapy.Spider):
    name = "bench"

    def start_requests(self):
        yield scrapy.Request(os.environ["BENCH_START"], callback=self.parse)

    def parse(self, response):
        items, _ = PROFILES[os.environ.get("BENCH_PROFILE", "books")]
        # The next listing first, then its details: the order of every crawler in the bench.
        nxt = response.css("li.next a::attr(href)").get()
        if nxt:
            yield response.follow(nxt, callback=self.parse)
        for href in response.css(items).getall():
            yield response.follow(href, callback=self.parse_detail)

    def parse_detail(self, response):
        _, extract = PROFILES[os.environ.get("BENCH_PROFILE", "books")]
        yield extract(response)


if __name__ == "__main__":
    concurrency = int(os.environ.get("BENCH_CONCURRENCY", "16"))
    process = CrawlerProcess(
        settings={
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
            "DOWNLOAD_DELAY": 0,
            "ROBOTSTXT_OBEY": False,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "WARNING",
            "DEPTH_PRIORITY": 1,
            "SCHEDULER_DISK_QUEUE": "scrapy.squeues.PickleFifoDiskQueue",
            "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",
            "FEEDS": {os.environ["BENCH_OUT"]: {"format": "jsonlines", "encoding": "utf8"}},
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        }
    )
    process.crawl(BenchSpider)
    process.start()
