package io.mallgate.config;

import static io.mallgate.config.Configs.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One invalid key per case; the case lists the only problem expected, key path first. */
class ValidationTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      server: {port: abc}                       | server.port: expected an integer, got 'abc'
      server: {port: 70000}                     | server.port: must be between 0 and 65535, got '70000'
      server: {port: -1}                        | server.port: must be between 0 and 65535, got '-1'
      server: {port: 99999999999999999999}      | server.port: must be between 0 and 65535, got '99999999999999999999'
      server: {port: 80.5}                      | server.port: expected an integer, got '80.5'
      server: {port: [1]}                       | server.port: expected a single value, got a list
      server: {host: ''}                        | server.host: must not be empty
      server: 8080                              | server: expected a mapping of keys, got a single value
      server: [a]                               | server: expected a mapping of keys, got a list
      [a, b]                                    | (top level): expected a mapping of sections (server:, redis:, ...), got a list
      server: {prot: 1}                         | server.prot: unknown key, did you mean 'port'?
      server: {Host: x}                         | server.Host: unknown key, did you mean 'host'?
      cafe24: {CLIENTID: x}                     | cafe24.CLIENTID: unknown key, did you mean 'clientId'?
      cafe24: {scope: [x]}                      | cafe24.scope: unknown key, did you mean 'scopes'?
      proxy: {zzz: 1}                           | proxy.zzz: unknown key (known keys: maxBodySize, connectTimeout, idleTimeout, requestTimeout, poolSize, poolWaitQueue, replayBufferSize, totalTimeout, maxConcurrentPerMall, maxConcurrent, methods, bodyTimeout, coalesce, coalesceMaxBody, requireApp)
      oath: {stateTtl: 1m}                      | oath: unknown key, did you mean 'oauth'?
      accessLog: {output: file}                 | accessLog.output: must be stdout, logger or off, got 'file'
      accessLog: {format: JSON}                 | accessLog.format: must be plain or json, got 'JSON'
      accessLog: {flushInterval: 1ms}           | accessLog.flushInterval: must be at least 10ms, got 1ms
      accessLog: {flushInterval: 11s}           | accessLog.flushInterval: must be at most 10s, got 11000ms
      redis: {poolSize: 0}                      | redis.poolSize: must be between 1 and 1024, got '0'
      redis: {type: Sentinel}                   | redis.type: must be one of standalone, sentinel, cluster, got 'Sentinel'
      redis: {type: sentinel, url: 'redis://h', masterName: ''} | redis.masterName: must not be empty when redis.type is sentinel
      redis: {type: cluster}                    | redis.url: must be set when redis.type is cluster
      redis: {url: 'http://h:6379'}             | redis.url: must start with redis:// or rediss://
      redis: {url: 'redis://h', endpoints: [redis://x]} | redis.endpoints: only used when redis.type is sentinel or cluster; standalone uses redis.url alone
      redis: {type: cluster, url: 'redis://h', endpoints: [redis://x, 'tcp://y']} | redis.endpoints[1]: must start with redis:// or rediss://
      redis: {type: cluster, url: 'redis://h', endpoints: redis://x} | redis.endpoints: expected a list, got a single value
      redis: {commandTimeout: 2}                | redis.commandTimeout: needs a unit: ms, s, m, h or d, got '2'
      redis: {commandTimeout: 0s}               | redis.commandTimeout: must be greater than 0, got '0s'
      redis: {commandTimeout: 25d}              | redis.commandTimeout: must be at most 24d, got '25d'
      redis: {commandTimeout: 1.5s}             | redis.commandTimeout: expected a duration like 500ms, 30s, 5m, 2h or 7d, got '1.5s'
      cafe24: {baseUrl: 'https://cafe24api.com'} | cafe24.baseUrl: must contain {mall} in the host or the path
      cafe24: {baseUrl: 'ftp://{mall}.x'}       | cafe24.baseUrl: must start with https:// (or http:// with allowInsecure)
      cafe24: {baseUrl: 'http://{mall}.x'}      | cafe24.baseUrl: http:// needs cafe24.allowInsecure: true (tests and sandbox only); use https://
      cafe24: {allowInsecure: yes}              | cafe24.allowInsecure: expected true or false, got 'yes'
      cafe24: {clientSecret: ''}                | cafe24.clientSecret: must not be empty
      cafe24: {clientId: 'app:x'}               | cafe24.clientId: must be visible ASCII characters without spaces or ':' (as the Developer Center shows it)
      cafe24: {clientId: 'app x'}               | cafe24.clientId: must be visible ASCII characters without spaces or ':' (as the Developer Center shows it)
      cafe24: {frontApiKey: 'key x'}            | cafe24.frontApiKey: must be empty or visible ASCII characters without spaces (as the Developer Center shows it)
      cafe24: {frontApiKey: [k]}                | cafe24.frontApiKey: expected a single value, got a list
      cafe24: {redirectUri: /oauth/callback}    | cafe24.redirectUri: must be an absolute http:// or https:// URL, got '/oauth/callback'
      cafe24: {redirectUri: 'ftp://h/cb'}       | cafe24.redirectUri: must be an absolute http:// or https:// URL, got 'ftp://h/cb'
      cafe24: {redirectUri: 'https://h/cb#x'}   | cafe24.redirectUri: must not have a fragment (#...), got 'https://h/cb#x'
      cafe24: {scopes: []}                      | cafe24.scopes: must not be an empty list
      cafe24: {scopes: mall.read_order}         | cafe24.scopes: expected a list, got 'mall.read_order'
      cafe24: {scopes: [mall.read_order, ' ']}  | cafe24.scopes[1]: must not be blank
      cafe24: {scopes: ['a,b']}                 | cafe24.scopes[0]: must be one scope name without spaces or commas, got 'a,b'
      cafe24: {scopes: [{a: b}]}                | cafe24.scopes[0]: expected a single value, got a mapping
      cafe24: {apiVersion: 2025-02-30}          | cafe24.apiVersion: must be empty or a date yyyy-mm-dd, got '2025-02-30'
      cafe24: {apiVersion: 2025-6-1}            | cafe24.apiVersion: must be empty or a date yyyy-mm-dd, got '2025-6-1'
      admin: {token: short}                     | admin.token: must be empty (admin API off) or at least 16 characters long
      malls: {allow: [demo, Bad_Mall]}          | malls.allow[1]: not a valid mall id 'Bad_Mall' (1 to 63 lowercase letters, digits or '-', not starting or ending with '-')
      malls: {allow: [-demo]}                   | malls.allow[0]: not a valid mall id '-demo' (1 to 63 lowercase letters, digits or '-', not starting or ending with '-')
      store: {file: ''}                         | store.file: must not be empty
      proxy: {maxBodySize: 0}                   | proxy.maxBodySize: must be greater than 0, got '0'
      proxy: {maxBodySize: 10MiB5}              | proxy.maxBodySize: expected bytes, or a size with a unit KiB, MiB, GiB, KB, MB or GB like 10MiB, got '10MiB5'
      proxy: {maxBodySize: 99999999999GiB}      | proxy.maxBodySize: is too large, got '99999999999GiB'
      proxy: {poolSize: 10001}                  | proxy.poolSize: must be between 1 and 10000, got '10001'
      proxy: {poolWaitQueue: -2}                | proxy.poolWaitQueue: must be between -1 and 1000000, got '-2'
      proxy: {connectTimeout: 5}                | proxy.connectTimeout: needs a unit: ms, s, m, h or d, got '5'
      proxy: {coalesceMaxBody: 2GiB}            | proxy.coalesceMaxBody: must be at most 1GiB (kept in memory for each shared call), got 2147483648 bytes
      proxy: {coalesceMaxBody: 0}               | proxy.coalesceMaxBody: must be greater than 0, got '0'
      proxy: {coalesce: maybe}                  | proxy.coalesce: expected true or false, got 'maybe'
      tokens: {cacheTtl: forever}               | tokens.cacheTtl: expected a duration like 500ms, 30s, 5m, 2h or 7d, got 'forever'
      oauth: {exchangeTimeout: 0ms}             | oauth.exchangeTimeout: must be greater than 0, got '0ms'
      proxy: {methods: [GET, TRACE]}            | proxy.methods[1]: must not be TRACE or CONNECT: they would hand the mall's token to the caller
      proxy: {methods: [get]}                   | proxy.methods[0]: must be an upper-case HTTP method, got 'get'
      """)
  void should_report_the_problem_at_its_key_path_when_a_value_is_invalid(String yaml, String expected) {
    assertEquals(List.of(expected), problems(yaml));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      redis: {url: '${NOPE}'}             | redis.url: environment variable NOPE is not set and has no default
      malls: {allow: ['${NOPE}']}         | malls.allow[0]: environment variable NOPE is not set and has no default
      server: {host: '${A B}'}            | server.host: invalid reference: write ${NAME}, ${NAME:-default} or ${file:/path}, where NAME has only letters, digits and '_'
      server: {host: 'x${HOST'}           | server.host: a reference '${' has no closing '}'
      server: {host: '${file:}'}          | server.host: ${file:} needs a path
      """)
  void should_report_the_reference_at_its_key_path_when_it_cannot_be_resolved(String yaml, String expected) {
    assertEquals(List.of(expected), problems(yaml));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      server: {port: 0}                          | 0
      proxy: {poolWaitQueue: -1}                 | -1
      admin: {token: 0123456789abcdef}           | 16 characters
      cafe24: {apiVersion: 2024-02-29}           | leap day
      cafe24: {frontApiKey: 'k:/+=~!x'}          | a front API key may hold ':' and symbols
      redis: {url: 'rediss://:p@h:6380/1'}       | TLS Redis
      cafe24: {redirectUri: 'HTTPS://gw.example/cb?x=1'} | upper-case scheme with a query
      """)
  void should_accept_the_value_when_it_is_on_the_edge(String yaml, String why) {
    assertTrue(problemsOrEmpty(yaml).isEmpty(), why);
  }

  private static List<String> problemsOrEmpty(String yaml) {
    try {
      ConfigLoader.fromYaml(yaml, Configs.ENV);
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    }
  }
}
