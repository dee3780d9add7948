import { httpErrorOf } from '../../src/http/errors';

// The one place HTTP maps transport errors: what body-parser, raw-body, zlib and the router raise.
describe('httpErrorOf', () => {
  it.each([
    [{ status: 400, type: 'entity.parse.failed' }, 400, 'invalid_json'],
    [{ status: 413, type: 'entity.too.large' }, 413, 'too_large'],
    [{ status: 415, type: 'encoding.unsupported' }, 415, 'unsupported_encoding'],
    [{ status: 415, type: 'charset.unsupported' }, 415, 'unsupported_charset'],
    [{ status: 400, type: 'request.aborted' }, 400, 'request_aborted'],
    [{ status: 400, type: 'request.size.invalid' }, 400, 'bad_length'],
    [{ status: 400, code: 'Z_DATA_ERROR' }, 400, 'bad_encoding'],
    [{ status: 400, code: 'ERR__ERROR_FORMAT_PADDING_2' }, 400, 'bad_encoding'],
    [Object.assign(new URIError("Failed to decode param '%ZZ'"), { status: 400 }), 400, 'bad_path'],
    [{ status: 405, expose: true, message: 'nope' }, 405, 'method_not_allowed'],
    [{ statusCode: 418, expose: true, message: "I'm a teapot" }, 418, 'bad_request'],
  ])('%o is a %i %s', (err, status, code) => {
    expect(httpErrorOf(err)).toEqual({ status, body: { error: { code, message: expect.any(String) } } });
  });

  it('leaves server-side failures and plain errors to the 500 path, and never echoes an unexposed message', () => {
    expect(httpErrorOf(new Error('boom'))).toBeUndefined();
    expect(httpErrorOf({ status: 500, type: 'stream.encoding.set', message: 'internal' })).toBeUndefined();
    expect(httpErrorOf({ status: 502 })).toBeUndefined();
    expect(httpErrorOf(null)).toBeUndefined();
    expect(httpErrorOf({ status: 400, message: 'secret internals' })?.body.error.message).not.toContain('secret');
  });
});
