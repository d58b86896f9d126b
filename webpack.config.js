// Bundles what the .vsix runs into dist/, each file self-contained (no node_modules
// in the package):
//   extension.js    the VS Code client (extension/extension.ts); `vscode` stays external
//   server.js       the language server (server/main.ts), started by the client over IPC
//   debugAdapter.js the DAP session over stdio (debug-adapter/main.ts), for the
//                   "external" adapter mode and for other DAP clients
//   cli.js          the camsim CLI (core/cli): the `camsim` command (bin/camsim.js),
//                   and what the Run and Check commands run in a child process so
//                   that a long check never blocks the editor
//   timeline.js     the timeline webview's script (a browser script, no imports)
// `npm run build` makes them all (and `npm pack` runs it); `--env cli` builds cli.js
// alone and leaves the rest of dist/ as it is.
'use strict';

const path = require('path');

/** @type {(env: unknown, argv: { mode?: string }) => import('webpack').Configuration} */
module.exports = (env, argv) => {
  const production = argv.mode !== 'development';
  const cliOnly = Boolean(env && env.cli);
  const entries = {
    extension: './extension/extension.ts',
    server: './server/main.ts',
    debugAdapter: './debug-adapter/main.ts',
    cli: './core/cli/process.ts',
    // Runs in the webview: a plain script exposing its drawing functions as `camsimTimeline`.
    timeline: { import: './extension/timeline/webview/main.ts', library: { type: 'var', name: 'camsimTimeline' } },
  };
  return {
    mode: production ? 'production' : 'development',
    target: 'node20',
    context: __dirname,
    entry: cliOnly ? { cli: entries.cli } : entries,
    output: {
      path: path.resolve(__dirname, 'dist'),
      filename: '[name].js',
      library: { type: 'commonjs2' },
      clean: !cliOnly,
      devtoolModuleFilenameTemplate: '../[resource-path]',
    },
    // Provided by the editor at run time; only extension/ imports it.
    externals: { vscode: 'commonjs vscode' },
    resolve: {
      extensions: ['.ts', '.js'],
      // The sources use TypeScript's module resolution; the bundles must not pick
      // the browser builds of the protocol libraries.
      mainFields: ['module', 'main'],
      conditionNames: ['node', 'import', 'require', 'default'],
    },
    module: {
      rules: [
        {
          test: /\.ts$/,
          exclude: /node_modules/,
          use: {
            loader: 'ts-loader',
            options: {
              // Type checking is `tsc -p tsconfig.json`'s job; the bundle only transpiles.
              transpileOnly: true,
              configFile: path.resolve(__dirname, 'tsconfig.json'),
              // CommonJS, as the out/ build: modules then run in the order of their
              // require calls, which some rely on (a CLI subcommand module imported
              // at the end of core/cli/main.ts registers itself there).
              compilerOptions: { module: 'commonjs', moduleResolution: 'bundler', sourceMap: true },
            },
          },
        },
      ],
    },
    // Production bundles carry no sourceMappingURL comment: the .vsix and the npm
    // package ship without the maps, and an editor would look for them in vain.
    // The maps are still written next to the bundles (for reading a stack trace,
    // and for scripts/third-party-notices.js).
    devtool: production ? 'hidden-source-map' : 'source-map',
    optimization: { minimize: production },
    performance: { hints: false },
    infrastructureLogging: { level: 'warn' },
    stats: 'errors-warnings',
  };
};
